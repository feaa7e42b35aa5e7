from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawgovConfig(AppConfig):
    name = "grassroots.lawgov"
    label = "lawgov"
    verbose_name = _("法治")

    def ready(self) -> None:
        from grassroots.portal.navigation import register_group

        register_group("lawgov", _("法治"), "bi-bank", order=69)
        self._register_disputes()
        self._register_stations()
        self._register_pairings()
        self._register_figures()

    def _register_figures(self) -> None:
        """The figures in the one registry, the figures page's menu entry, the home blocks."""
        from grassroots.lawgov.blocks import register_blocks
        from grassroots.lawgov.figures import register_figures
        from grassroots.lawgov.figures_pairings import register_pairing_figures
        from grassroots.portal.navigation import NavEntry, register

        register_figures()
        register_pairing_figures()
        register("lawgov", NavEntry(_("法治数据"), "lawgov:figures", "lawgov.disputes", "bi-bar-chart"))
        register_blocks()

    def _register_disputes(self) -> None:
        """The three-level dispute mediation platform (models_disputes.py): permissions, audit, menu."""
        from grassroots.lawgov.disputes_setup import setup_disputes

        setup_disputes()

    def _register_stations(self) -> None:
        """Legal service stations (models_stations.py): the permission to run one, audit."""
        from grassroots.lawgov.stations_setup import setup_stations

        setup_stations()

    def _register_pairings(self) -> None:
        """Dual reporting and pairing (models_pairings.py): permissions, audit, menu."""
        from grassroots.lawgov.pairings_setup import setup_pairings

        setup_pairings()
