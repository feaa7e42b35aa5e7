"""`/api/document-items/`: the items of the standards in force the caller reads (what a finding or an
assessment item may cite), read-only."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.documents import selectors
from grassroots.documents.models import Item


class CitableItemSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="section.version.document_id")
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Item
        fields = ["id", "document", "number", "text", "label"]


class DocumentItemViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Item.objects.all()
    serializer_class = CitableItemSerializer
    view_permission = "documents.view"

    def scope_queryset(self, queryset):
        return selectors.citable_items(self.request.user)
