"""Serializers of the documents' API: the document, a version with its body, the inputs of each step."""

from __future__ import annotations

from rest_framework import serializers

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.areas.models import Area, Level
from grassroots.documents.models import Attachment, Document, DocumentVersion, Item, Kind, Section


class DocumentItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "number", "text", "link"]


class DocumentSectionSerializer(serializers.ModelSerializer):
    items = DocumentItemSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "number", "title", "items"]


class DocumentAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "url", "uploaded_at"]

    def get_url(self, obj) -> str:
        return f"/documents/attachments/{obj.pk}/"


class VersionSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    adopted_by_name = serializers.CharField(source="adopted_by.display_name", read_only=True, default=None)

    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "state",
            "state_label",
            "note",
            "adopted_by",
            "adopted_by_name",
            "adopted_at",
            "superseded_at",
            "created_at",
        ]


class VersionBodySerializer(VersionSerializer):
    sections = DocumentSectionSerializer(many=True, read_only=True)
    attachments = DocumentAttachmentSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "sections", "attachments"]


class DocumentSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_label",
            "area",
            "area_name",
            "title",
            "applies_to",
            "current_version",
            "created_at",
        ]

    def get_current_version(self, obj) -> int | None:
        current = getattr(obj, "current", None)
        return current[0].number if current else None


class DocumentInput(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    kind = serializers.ChoiceField(choices=Kind.choices)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="documents.manage")
    title = serializers.CharField(max_length=150)
    applies_to = serializers.ListField(child=serializers.ChoiceField(choices=Level.choices), required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class DocumentItemInput(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    text = serializers.CharField()
    link = serializers.CharField(max_length=60, required=False, allow_blank=True)


class DocumentSectionInput(serializers.Serializer):
    number = serializers.CharField(max_length=10)
    title = serializers.CharField(max_length=150)
    items = DocumentItemInput(many=True)


class DraftInput(serializers.Serializer):
    body = DocumentSectionInput(many=True)
    note = serializers.CharField(required=False, allow_blank=True)


class NewDraftInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AttachmentInput(serializers.Serializer):
    upload = serializers.FileField()


class RemoveAttachmentInput(serializers.Serializer):
    attachment = serializers.IntegerField()


class ReadInput(serializers.Serializer):
    section = serializers.IntegerField()


class DiffRowSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class SearchHitSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="section.version.document_id")
    document_title = serializers.CharField(source="section.version.document.title")
    section = serializers.IntegerField(source="section_id")
    section_title = serializers.CharField(source="section.title")

    class Meta:
        model = Item
        fields = ["id", "document", "document_title", "section", "section_title", "number", "text", "link"]
