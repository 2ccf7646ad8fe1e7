"""One definition per operation (issue 13): see registry.py, and docs/decisions/0017-operation-registry.md."""

from edge.operations.base import Caller, Operation, OpModel
from edge.operations.registry import COMMANDS, DOOR_FIRING, OPERATIONS, REGISTRY, TIME_SENSITIVE
from edge.operations.targets import FeedPort, RulesPort, Targets

__all__ = ["COMMANDS", "DOOR_FIRING", "OPERATIONS", "REGISTRY", "TIME_SENSITIVE", "Caller", "FeedPort", "OpModel",
           "Operation", "RulesPort", "Targets"]
