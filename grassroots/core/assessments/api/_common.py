"""What every module of the assessments API shares."""

VIEW = "assessments.view"
