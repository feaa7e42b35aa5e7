from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scope_paths
from grassroots.areas.models import Area
from grassroots.portal.models import Notice
from grassroots.portal.selectors import notice_areas
from grassroots.portal.submissions import SubmissionField


class AreaChoiceField(forms.ModelChoiceField):
    """Areas shown indented under the top of the user's scope, with their level."""

    top_depth = 1

    def label_from_instance(self, obj: Area) -> str:
        indent = "\u3000" * max(0, obj.depth - self.top_depth)
        return f"{indent}{obj.name}（{obj.level_label}）"


class NoticeForm(forms.Form):
    """A plain form (not a ModelForm), so that validating it never changes the notice before the service
    has checked the editor's rights on the notice as it was."""

    area = AreaChoiceField(label=_("发布范围"), queryset=Area.objects.none(), empty_label=_("请选择"))
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    published_at = forms.DateTimeField(
        label=_("发布时间"),
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("设为将来的时间即定时发布"),
    )
    pinned = forms.BooleanField(label=_("置顶"), required=False)
    # A new notice's form carries a token of its own: posted twice, it publishes one notice.
    submission = SubmissionField()

    def __init__(self, *args, user, notice: Notice | None = None, **kwargs):
        if notice is not None:
            kwargs.setdefault(
                "initial",
                {
                    "area": notice.area_id,
                    "title": notice.title,
                    "body": notice.body,
                    "published_at": timezone.localtime(notice.published_at),
                    "pinned": notice.pinned,
                },
            )
        super().__init__(*args, **kwargs)
        if notice is not None:
            del self.fields["submission"]  # an edit is idempotent as it is
        areas = notice_areas(user)
        if notice is not None:  # keep the notice's own area selectable even if it lies deeper
            areas = (areas | Area.objects.filter(pk=notice.area_id)).order_by("path")
        field = self.fields["area"]
        field.queryset = areas
        field.top_depth = min(
            (len(p) // Area.steplen for p in scope_paths(user, "notices.manage")), default=1
        )
