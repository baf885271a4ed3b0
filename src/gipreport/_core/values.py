"""One ``__repr__``, ``__eq__`` and ``__hash__`` for many frozen attrs classes.

attrs writes these three methods out as Python source for each class and
compiles it when the class is made; for the classes ``import gipreport`` makes
(the model, the form, findings, problems, the readers' notes) that compiling was
a tenth of the import (issue #17). :class:`Value` has them written once:
each reads a class's fields with one :func:`operator.attrgetter`, made on the
class's first use, and gives what attrs' own would — the same text
(``Columns(natural_person=3, …)``), the same equality (the same class, and each
field equal in turn) and a hash that agrees with it. A class takes them with
``@attrs.frozen(..., repr=False, eq=False)`` and :class:`Value` as its base
(``eq=False`` leaves ``__hash__`` to the base as well)::

    >>> import attrs
    >>> @attrs.frozen(kw_only=True, repr=False, eq=False)
    ... class Pair(Value):
    ...     left: int
    ...     right: int | None = None
    >>> Pair(left=1)
    Pair(left=1, right=None)
    >>> Pair(left=1) == Pair(left=1, right=None), hash(Pair(left=1)) == hash(Pair(left=1))
    (True, True)

It also makes such objects fast where thousands are made (the readers' cells and
places, findings, the loader's tables): :func:`draft_class`.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any, Final

import attrs

__all__ = ["Value", "draft_class"]

_Get = Callable[[Any], tuple[Any, ...]]


def _getter(names: tuple[str, ...]) -> _Get:
    if len(names) > 1:
        get: _Get = operator.attrgetter(*names)
        return get
    if names:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda _: ()


class _Plan:
    """How one class is printed, compared and hashed: its fields, read once."""

    __slots__ = ("eq", "hash", "repr", "salt")

    def __init__(self, cls: type) -> None:
        fields = attrs.fields(cls)
        for field in fields:
            if field.eq_key is not None or callable(field.repr):
                msg = f"{cls.__name__}.{field.name}: Value does not do eq keys or repr functions"
                raise TypeError(msg)
        self.repr: Final = tuple(field.name for field in fields if field.repr)
        self.eq: Final = _getter(tuple(field.name for field in fields if field.eq))
        # attrs hashes a field when told to, or when it is compared and nothing was said.
        hashed = tuple(field.name for field in fields if field.eq if field.hash is not False)
        self.hash: Final = _getter(hashed)
        self.salt: Final = hash(cls.__qualname__)


_PLANS: Final[dict[type, _Plan]] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


class Value:
    """The base of a frozen attrs class made with ``repr=False, eq=False``."""

    __slots__ = ()

    def __repr__(self) -> str:
        # As attrs writes it: the class's own name, then name=repr(value) per field.
        name = self.__class__.__qualname__.rsplit(">.", 1)[-1]
        fields = ", ".join(f"{key}={getattr(self, key)!r}" for key in _plan(self.__class__).repr)
        return f"{name}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        get = _plan(self.__class__).eq
        return get(self) == get(other)

    def __hash__(self) -> int:
        plan = _plan(self.__class__)
        return hash((plan.salt, *plan.hash(self)))


@functools.cache
def draft_class(cls: type) -> type:
    """Return a subclass of the frozen slotted ``cls`` whose slots are plainly assignable.

    Code that makes many objects of ``cls`` makes an instance of it
    (``object.__new__(draft)``), assigns every field (``o.name = v``: the
    interpreter's own slot store, not a call per field, nor ``cls``'s validators,
    whose facts the caller has checked), then makes it a ``cls`` (``o.__class__ =
    cls``: the draft adds no slot, so the layout is the same). That is about 2.5
    times as fast as calling each slot's ``__set__`` (an object of 8 fields: 410 →
    160 ns here), and 5 times as fast as the class's keyword ``__init__``. Only
    that code ever holds a draft; what it returns is of ``cls`` alone, equal to what
    ``cls(...)`` makes of the same fields::

        >>> import attrs
        >>> @attrs.frozen(kw_only=True, repr=False, eq=False)
        ... class Pair(Value):
        ...     left: int
        ...     right: int | None = None
        >>> made = object.__new__(draft_class(Pair))
        >>> made.left, made.right = 1, None
        >>> made.__class__ = Pair
        >>> type(made) is Pair, made == Pair(left=1)
        (True, True)
    """
    assert attrs.has(cls)
    assert "__slots__" in cls.__dict__, cls
    namespace = {
        "__slots__": (),
        "__module__": cls.__module__,
        # Both: one C slot serves setting and deleting, and cls has its own of each.
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
    }
    return type(f"_Draft{cls.__name__}", (cls,), namespace)
