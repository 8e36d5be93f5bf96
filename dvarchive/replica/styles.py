"""The replica's portal styles by name: ``danvan`` (the board's own markup) and other CMS families."""
from __future__ import annotations

from dvarchive.replica.liferay import LiferayStyle
from dvarchive.replica.portal import PortalStyle
from dvarchive.replica.sharepoint import SharePointStyle
from dvarchive.replica.site import ReplicaSite
from dvarchive.replica.wordpress import WordPressStyle

STYLE_CLASSES: dict[str, type[PortalStyle]] = {
    "liferay": LiferayStyle, "sharepoint": SharePointStyle, "wordpress": WordPressStyle,
}
STYLES: tuple[str, ...] = ("danvan", *STYLE_CLASSES)
"""Every ``--style``: ``danvan`` is the board's site (faults apply to it only)."""


def make_style(name: str, site: ReplicaSite) -> PortalStyle | None:
    """The style object (None for ``danvan``, which the app's own routes serve)."""
    if name == "danvan":
        return None
    try:
        return STYLE_CLASSES[name](site)
    except KeyError:
        raise ValueError(f"unknown style {name!r} (known: {', '.join(STYLES)})") from None
