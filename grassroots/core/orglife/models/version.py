from django.db import models


class ComplianceVersion(models.Model):
    """The version of what compliance figures are computed from (grassroots.core.orglife.kept): one row whose
    token a trigger replaces on every write of the reports, the Party organizations and the areas."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
