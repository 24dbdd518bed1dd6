"""Escalation: the policy's ladder (policy.py), the calendar it runs on (calendar.py) and
the planner that says which step is next and when (planner.py)."""
