"""`/api/grid-ratings/`: a verified resident's own ratings (1–5 stars) of the cadres and grid workers serving
their grid; POST rates one (again: changes the year's rating) through `services.people.rate_worker`, as the
rating page (评价网格干部)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.assessments.models import GridRating
from grassroots.core.assessments.services import people as people_services


class RatingSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.display_name", read_only=True)

    class Meta:
        model = GridRating
        fields = ["id", "worker", "worker_name", "grid", "year", "score", "comment", "updated_at"]
        read_only_fields = fields


class RatingInput(serializers.Serializer):
    worker = serializers.IntegerField(help_text=_("为您所在网格服务的干部或网格员（用户 id）"))
    score = serializers.IntegerField(help_text=_("1–5 星"))
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RatingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Your own ratings. POST `{worker, score, comment?}` rates a worker of your grid for this year (real-name
    verified residents: else 403 saying so)."""

    view_permission = "assessments.rate"
    queryset = GridRating.objects.select_related("worker").order_by("-year", "-updated_at", "pk")
    serializer_class = RatingSerializer

    def scope_queryset(self, queryset):
        return queryset.filter(resident=self.request.user)  # one's own: no one else's ratings are shown

    def get_serializer_class(self):
        return RatingInput if self.action == "create" else RatingSerializer

    @extend_schema(request=RatingInput, responses={201: RatingSerializer})
    def create(self, request, *args, **kwargs):
        values = self.input_of(RatingInput)
        # An id that is no worker of the grid is refused by the service in the same words as a missing one.
        values["worker"] = get_user_model().objects.filter(pk=values["worker"]).first()
        rating = people_services.rate_worker(resident=request.user, **values)
        return self.answer(rating, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("grid-ratings", RatingViewSet, basename="grid-rating")
