"""`/api/documents/`: list and read (`?kind=standard|handbook`); `POST` creates a document with its first
draft; `GET …/{id}/versions/` (history), `GET …/{id}/body/?version=` (a version's body),
`PUT …/{id}/draft/` (the draft's body as chapters and items), `POST …/{id}/new-draft/`, `…/{id}/publish/`,
`…/{id}/attachments/` (multipart, on the draft), `…/{id}/remove-attachment/` ({attachment}),
`GET …/{id}/diff/?old=&new=`, `POST …/{id}/read/` ({section}: the caller's own "I have read this chapter"),
`GET /api/documents/search/?q=` (the handbooks in force). Every write is the pages' service; a refusal
is a 403, a broken rule a 400 on its field."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.documents import selectors, services
from grassroots.documents.api.serializers import (
    AttachmentInput,
    DiffRowSerializer,
    DocumentAttachmentSerializer,
    DocumentInput,
    DocumentSerializer,
    DraftInput,
    NewDraftInput,
    ReadInput,
    RemoveAttachmentInput,
    SearchHitSerializer,
    VersionBodySerializer,
    VersionSerializer,
)
from grassroots.documents.models import Document, Section, VersionState


class DocumentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    view_permission = "documents.view"
    services_decide = True
    filterset_fields = ["kind"]

    def scope_queryset(self, queryset):
        return selectors.documents_for(self.request.user)

    def _draft(self, document):
        draft = document.versions.filter(state=VersionState.DRAFT).first()
        if draft is None or not selectors.may_manage(self.request.user, document):
            raise Http404
        return draft

    @extend_schema(request=DocumentInput, responses={201: DocumentSerializer})
    def create(self, request, *args, **kwargs):
        draft = services.create_document(actor=request.user, **self.input_of(DocumentInput))
        return self.answer(draft.document, status.HTTP_201_CREATED)

    @extend_schema(responses=VersionSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request, pk=None):
        """The history: published and superseded versions (and the draft, for the document's keepers)."""
        document = self.get_object()
        return Response(VersionSerializer(selectors.versions_for(request.user, document), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("version", OpenApiTypes.INT, description="版本号；缺省为现行版本")],
        responses=VersionBodySerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def body(self, request, pk=None):
        """One version (`?version=`; by default the one in force, else the draft for its keepers) with its
        chapters, items and attachments."""
        document = self.get_object()
        versions = selectors.versions_for(request.user, document)
        number = int_param(request, "version")
        if number is not None:
            found = selectors.get_version_or_404(request.user, document, number)
        else:
            found = versions.filter(state=VersionState.PUBLISHED).first() or versions.first()
            if found is None:
                raise Http404
        found = type(found).objects.prefetch_related("sections__items", "attachments").get(pk=found.pk)
        return Response(VersionBodySerializer(found).data)

    @extend_schema(request=DraftInput, responses=VersionBodySerializer)
    @action(detail=True, methods=["put"])
    def draft(self, request, pk=None):
        """Replace the draft's body (the page's 保存草稿)."""
        document = self.get_object()
        draft = self._draft(document)
        values = self.input_of(DraftInput)
        services.save_draft(actor=request.user, version=draft, body=values["body"], note=values.get("note"))
        return Response(VersionBodySerializer(draft).data)

    @extend_schema(request=NewDraftInput, responses={201: VersionSerializer})
    @action(detail=True, methods=["post"], url_path="new-draft")
    def new_draft(self, request, pk=None):
        """Start the next version from the one in force (起草新版本)."""
        document = self.get_object()
        draft = services.start_draft(actor=request.user, document=document, **self.input_of(NewDraftInput))
        return Response(VersionSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the draft; the version in force is superseded at the same moment."""
        document = self.get_object()
        version = services.publish(actor=request.user, version=self._draft(document))
        return Response(VersionSerializer(version).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentInput}, responses={201: DocumentAttachmentSerializer}
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        """Attach a file to the draft (content checked, docs/files.md)."""
        document = self.get_object()
        values = self.input_of(AttachmentInput)
        found = services.add_attachment(
            actor=request.user, version=self._draft(document), upload=values["upload"]
        )
        return Response(DocumentAttachmentSerializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RemoveAttachmentInput, responses={204: None})
    @action(detail=True, methods=["post"], url_path="remove-attachment")
    def remove_attachment(self, request, pk=None):
        """Remove an attachment of the draft (the draft page's 删除)."""
        draft = self._draft(self.get_object())
        values = self.input_of(RemoveAttachmentInput)
        found = draft.attachments.filter(pk=values["attachment"]).first()
        if found is None:
            raise Http404
        services.remove_attachment(actor=request.user, attachment=found)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[
            OpenApiParameter("old", OpenApiTypes.INT, required=True),
            OpenApiParameter("new", OpenApiTypes.INT, required=True),
        ],
        responses=DiffRowSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def diff(self, request, pk=None):
        """Item by item: added, removed, changed, same."""
        document = self.get_object()
        old, new = int_param(request, "old"), int_param(request, "new")
        if old is None or new is None:
            raise Http404
        rows = selectors.diff(
            selectors.get_version_or_404(request.user, document, old),
            selectors.get_version_or_404(request.user, document, new),
        )
        return Response(DiffRowSerializer(rows, many=True).data)

    @extend_schema(request=ReadInput, responses={201: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """The caller's own "I have read this chapter" (a chapter of the handbook's version in force)."""
        document = self.get_object()
        values = self.input_of(ReadInput)
        section = Section.objects.filter(pk=values["section"], version__document=document).first()
        if section is None:
            raise Http404
        services.confirm_read(user=request.user, section=section)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)],
        responses=SearchHitSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def search(self, request):
        """Items of the handbooks in force that contain `q` (text or chapter title), at most 50."""
        hits = selectors.search_handbooks(request.user, request.query_params.get("q", ""))
        return Response(SearchHitSerializer(hits, many=True).data)
