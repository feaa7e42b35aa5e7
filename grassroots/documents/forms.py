"""Forms of the documents' pages; the rules are the services' (and body.check_body's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level
from grassroots.documents.body import parse_text
from grassroots.documents.models import Kind
from grassroots.portal.submissions import SubmissionField


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.level_label}）"


class DocumentForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one document
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    area = AreaChoiceField(label=_("制定区域"), queryset=None, help_text=_("文件适用于该区域及其下级"))
    title = forms.CharField(label=_("标题"), max_length=150)
    applies_to = forms.TypedMultipleChoiceField(
        label=_("适用层级"),
        choices=Level.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示适用于下级各层级"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = scoped(
            Area.objects.filter(retired=False, level__lte=Level.COMMUNITY), user, "documents.manage"
        ).order_by("path")


class DraftForm(forms.Form):
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
        help_text=_(
            "每章以“# 章号 章名”开头；每条以“章号.序号 内容”开头；条末可写“=> 页面名”链接到办理页面。"
        ),
    )
    note = forms.CharField(label=_("修订说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_body(self):
        self.cleaned_data["sections"] = parse_text(self.cleaned_data["body"])
        return self.cleaned_data["body"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))
    submission = SubmissionField()  # posted twice (a double click), one attachment
