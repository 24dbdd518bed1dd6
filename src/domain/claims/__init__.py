"""Claims (créances): invoices, phases, holds, the lifecycle table and the timeline."""
