"""Scrapy's per-response "generator with a return value" check, run once per callback here.

dvarchive turns WARN_ON_GENERATOR_RETURN_VALUE off in the crawl (it re-parses the callback's
source on every response: 6 % of the crawl's CPU); this test keeps the guarantee it gave.
"""
from __future__ import annotations

import inspect
from collections.abc import Iterator

from scrapy import Spider
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import is_generator_with_return_value

from dvarchive import settings as dvarchive_settings


def project_spiders() -> list[type[Spider]]:
    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": dvarchive_settings.SPIDER_MODULES}))
    return [loader.load(name) for name in loader.list()]


def generator_methods(spider_class: type[Spider]) -> list[str]:
    return [name for name, member in inspect.getmembers(spider_class, inspect.isfunction)
            if inspect.isgeneratorfunction(member) and member.__module__.startswith("dvarchive.")]


def test_the_project_has_generator_callbacks_to_check() -> None:
    names = {name for spider in project_spiders() for name in generator_methods(spider)}
    assert {"parse_home", "parse_listing_page", "parse_article"} <= names


def test_no_generator_callback_returns_a_value() -> None:
    offenders = [f"{spider.__name__}.{name}" for spider in project_spiders()
                 for name in generator_methods(spider)
                 if is_generator_with_return_value(getattr(spider, name))]
    assert offenders == []


def test_the_check_catches_a_callback_that_returns_a_value() -> None:
    def parse(response: object) -> Iterator[int]:
        yield 1
        return 2  # noqa: B901 - the mistake the check exists for

    assert is_generator_with_return_value(parse)


def test_the_per_response_check_is_off_in_the_crawl() -> None:
    assert dvarchive_settings.WARN_ON_GENERATOR_RETURN_VALUE is False
