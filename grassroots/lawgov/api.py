"""法治's API: `/api/disputes/` and `/api/mediation-sessions/` (api_disputes.py); `/api/legal-stations/`,
`/api/legal-sessions/`, `/api/consultations/` (api_stations.py); `/api/pairings/` (api_pairings.py)."""

from grassroots.lawgov.api_disputes import DisputeViewSet, MediationSessionViewSet
from grassroots.lawgov.api_pairings import PairingViewSet
from grassroots.lawgov.api_stations import ConsultationViewSet, LegalSessionViewSet, LegalStationViewSet


def register(router) -> None:
    router.register("legal-stations", LegalStationViewSet, basename="legal-station")
    router.register("legal-sessions", LegalSessionViewSet, basename="legal-session")
    router.register("consultations", ConsultationViewSet, basename="consultation")
    router.register("disputes", DisputeViewSet, basename="dispute")
    router.register("pairings", PairingViewSet, basename="pairing")
    router.register("mediation-sessions", MediationSessionViewSet, basename="mediation-session")
