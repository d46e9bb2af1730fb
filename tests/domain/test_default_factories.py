"""No model's default factory is a builtin (``list``, ``dict``): pydantic reads every factory's
signature when it builds a model, and a builtin's is parsed from its text with ``tokenize``, a
few milliseconds of every command's start (domain/model_base.py, ``empty_list``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from pydantic import BaseModel

import slamodeler.domain
from slamodeler.domain.model_base import empty_dict, empty_list


def domain_models() -> list[type[BaseModel]]:
    """Every pydantic model defined in slamodeler/domain."""
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(slamodeler.domain.__path__, "slamodeler.domain."):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found[value.__qualname__] = value
    return list(found.values())


def test_no_domain_model_has_a_builtin_default_factory():
    builtin = [
        f"{model.__module__}.{model.__qualname__}.{name}: {info.default_factory!r}"
        for model in domain_models()
        for name, info in model.model_fields.items()
        if getattr(info.default_factory, "__module__", None) == "builtins"
    ]
    assert builtin == []


def test_the_empty_defaults_are_new_each_time():
    assert empty_list() == [] and empty_list() is not empty_list()
    assert empty_dict() == {} and empty_dict() is not empty_dict()
