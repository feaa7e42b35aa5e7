"""The area tree (city → county → street → community → grid → courtyard → compound → building) and the
Party organizations attached to it. "Everything under X" is one indexed prefix query on `Area.path`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from grassroots.areas.subtree import STEPLEN, ancestor_paths, lies_under


class Level(models.IntegerChoices):
    CITY = 1, _("市")
    COUNTY = 2, _("县（区）")
    STREET = 3, _("街道（乡镇）")
    COMMUNITY = 4, _("社区")
    GRID = 5, _("网格")
    COURTYARD = 6, _("院落")
    COMPOUND = 7, _("小区")
    BUILDING = 8, _("楼栋")


class Area(MP_Node):
    """A node of the one area tree. Records of every part point at an area; a role grant on an area covers
    its whole subtree. An area that has records is retired, never deleted."""

    steplen = STEPLEN
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, db_index=True)
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        blank=True,
        null=True,
        unique=True,
        help_text=_("国家统计局统计用区划代码（如有）"),
    )
    retired = models.BooleanField(_("已撤销"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    node_order_by = None
    scope_path = "path"

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        # (depth, path): the children of a node without scanning its whole subtree (tier L: 158 ms → <1 ms).
        indexes = [models.Index(fields=["level", "path"]), models.Index(fields=["depth", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    def covers(self, other: "Area") -> bool:
        """True when `other` is this area or lies in its subtree."""
        return lies_under(other.path, self.path)

    def ancestors_with_self(self) -> list["Area"]:
        """The breadcrumb, root first, in one query."""
        return list(Area.objects.filter(path__in=ancestor_paths(self.path)).order_by("depth"))


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class PartyOrg(models.Model):
    """A Party organization (committee, general branch, branch, group) attached to an area."""

    name = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=20, choices=PartyOrgKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="party_orgs"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("组织编码"), max_length=30, blank=True, null=True, unique=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("书记"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retired = models.BooleanField(_("已撤销"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["area__path", "name"]

    def __str__(self) -> str:
        return self.name
