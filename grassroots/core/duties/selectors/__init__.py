"""Reads of the duties app. `completion_figures(area_path, year)` is the one other parts (assessments) read;
see grassroots/core/duties/selectors/figures.py for the definitions of its figures."""

from grassroots.core.duties.selectors.figures import (
    FIGURE_KEYS,
    annotate_figures,
    cascade_q,
    completion_figures,
    figures_by_child,
    figures_by_level,
    figures_of,
    task_figures,
    with_rates,
)
from grassroots.core.duties.selectors.lists import (
    assignment_rows,
    cascade_of,
    children_of_assignment,
    get_assignment_or_404,
    get_task_or_404,
    list_areas,
    listed_tasks,
    offices_of,
    received_for_breakdown,
    targets_of,
    to_check_for,
    visible_assignments,
    visible_tasks,
    with_children,
)
from grassroots.core.duties.selectors.offices import Workload, office_workloads

__all__ = [
    "FIGURE_KEYS",
    "Workload",
    "annotate_figures",
    "assignment_rows",
    "cascade_of",
    "cascade_q",
    "children_of_assignment",
    "completion_figures",
    "figures_by_child",
    "figures_by_level",
    "figures_of",
    "get_assignment_or_404",
    "get_task_or_404",
    "list_areas",
    "listed_tasks",
    "office_workloads",
    "offices_of",
    "received_for_breakdown",
    "targets_of",
    "task_figures",
    "to_check_for",
    "visible_assignments",
    "visible_tasks",
    "with_children",
    "with_rates",
]
