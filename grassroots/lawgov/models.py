"""法治 (rule of law): the models of the part, one module per subject (see docs/lawgov.md)."""

from grassroots.lawgov.models_disputes import (  # noqa: F401
    Dispute,
    DisputeCategory,
    DisputeCounter,
    DisputeKind,
    DisputeLevel,
    DisputeParty,
    DisputeStage,
    DisputeState,
    MediationSession,
)
from grassroots.lawgov.models_pairings import (  # noqa: F401
    Pairing,
    PairingCommitment,
    PairingService,
)
from grassroots.lawgov.models_stations import (  # noqa: F401
    Consultation,
    LegalSession,
    LegalStation,
    LegalWorker,
)
