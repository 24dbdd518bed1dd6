"""Letters: reminders, formal notices and plan agreements, their content and the law in
them (content.py), the transfer they ask for (epc.py, references.py), and how they are
written per language (formatting.py). Rendering, storage and posting are ports."""
