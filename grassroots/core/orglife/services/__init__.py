"""Actions of organizational life: plans.py (filing and guidance forms), reports.py (report forms),
appraisal.py (democratic appraisal, study plans), reminders.py; bridge.py writes to the gatherings part."""
