"""The domain, in people's terms: staff, work, options, scenarios, problems."""

from capacity.domain.estimate import Estimate, PointRule
from capacity.domain.options import AddPost, EndPost, ExtendPost, StaffingOption
from capacity.domain.problem import PlanningProblem, Task, build_problem
from capacity.domain.provenance import Provenance, ProvenanceEntry, ProvenanceKind
from capacity.domain.scenario import Assumptions, Horizon, Scenario
from capacity.domain.team import LEAD, Absence, Induction, StaffMember
from capacity.domain.work import After, Handover, Priority, WorkItem, WorkKind

__all__ = [
    "LEAD",
    "Absence",
    "AddPost",
    "After",
    "Assumptions",
    "EndPost",
    "Estimate",
    "ExtendPost",
    "Handover",
    "Horizon",
    "Induction",
    "PlanningProblem",
    "PointRule",
    "Priority",
    "Provenance",
    "ProvenanceEntry",
    "ProvenanceKind",
    "Scenario",
    "StaffMember",
    "StaffingOption",
    "Task",
    "WorkItem",
    "WorkKind",
    "build_problem",
]
