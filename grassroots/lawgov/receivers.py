"""What the dispute platform hears from other parts."""

from __future__ import annotations


def negotiation_handed_over(sender, instance, name, method_kwargs=None, **kwargs) -> None:
    """自治's hook (selfgov's `hand_over` step, docs/decisions.md): the negotiation becomes a case of its
    community's people's mediation, in the same transaction as the step."""
    if name != "hand_over":
        return
    from grassroots.lawgov.services_disputes import receive_negotiation

    receive_negotiation(negotiation=instance, actor=(method_kwargs or {}).get("actor"))
