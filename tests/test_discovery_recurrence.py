"""Table tests of what a recurring generic crawl decides from what earlier runs know."""
from __future__ import annotations

import pytest

from dvarchive.discovery.recurrence import Recurrence, next_page
from dvarchive.discovery.urls import normalize_url

H = "https://h"
LIST = f"{H}/tin/"
P2, P3, P4 = f"{H}/tin/page/2/", f"{H}/tin/page/3/", f"{H}/tin/page/4/"
KNOWN_A, KNOWN_B, NEW = f"{H}/2024/01/a/", f"{H}/2024/01/b/", f"{H}/2024/02/new/"


def memory(complete: bool) -> Recurrence:
    return Recurrence(known={KNOWN_A, KNOWN_B}, complete={LIST} if complete else set())


@pytest.mark.parametrize("complete, fresh, follow", [
    (False, [KNOWN_A, NEW], {P2, P3}),          # first walk: every pager link while something is new
    (False, [KNOWN_A, KNOWN_B], {P2, P3}),      # not walked to its end before: known links keep it going
    (False, [], set()),                         # nothing new in this run: the pager ends
    (True, [KNOWN_A, KNOWN_B], set()),          # walked before, nothing unknown: stop
    (True, [KNOWN_A, NEW], {P2}),               # walked before, something unknown: the next page only
])
def test_which_pager_links_a_first_page_follows(complete: bool, fresh: list[str], follow: set[str]) -> None:
    here, onward = memory(complete).listing(LIST, None, "Tin", {P2, P3}, 2, fresh)
    assert here == LIST and onward == follow


def test_pages_of_a_chain_share_its_key_and_only_a_first_page_with_content_starts_one() -> None:
    recurrence = memory(False)
    assert recurrence.listing(P2, LIST, "Tin", {P3}, 3, [NEW])[0] == LIST
    recurrence.listing(f"{H}/empty/", None, "Empty", {f"{H}/empty/page/2/"}, 0, [])     # empty first page
    recurrence.listing(f"{H}/x/page/3/", None, "X", {f"{H}/x/page/4/"}, 3, [NEW])      # not a first page
    recurrence.listing(f"{H}/static/", None, "Static", set(), 3, [NEW])                # no pager
    recurrence.listing(LIST, None, "Tin", {P2}, 2, [NEW])
    assert recurrence.walked() == {LIST: "Tin"}


def test_a_failed_page_keeps_its_chain_from_being_reported() -> None:
    recurrence = memory(False)
    recurrence.listing(LIST, None, "Tin", {P2}, 2, [NEW])
    recurrence.fail(LIST)
    recurrence.fail(None)
    assert recurrence.walked() == {}


def test_known_links_are_skipped_and_counted() -> None:
    stored = "HTTPS://H/2024/01/a/?utm_source=x#top"      # normalized on load as links are
    recurrence = Recurrence.load([stored], [LIST], normalize_url)
    assert recurrence.skips(KNOWN_A) and not recurrence.skips(NEW)
    assert recurrence.complete == {LIST}
    assert recurrence.skipped == 1


@pytest.mark.parametrize("url, pagers, expected", [
    (LIST, {P2, P3, P4}, {P2}),
    (P2, {LIST, P3, P4}, {P3}),
    (P4, {LIST, P2, P3}, set()),                # the last page
    (P2, {LIST, P3, f"{H}/tin/?c=x"}, {P3}),
    (P3, {LIST, P2, f"{H}/tin/?c=x"}, {f"{H}/tin/?c=x"}),     # an opaque rel=next, not the first page

])
def test_next_page(url: str, pagers: set[str], expected: set[str]) -> None:
    assert next_page(url, pagers) == expected


def test_a_listing_walked_before_that_lists_nothing_now_is_reported() -> None:
    recurrence = memory(True)
    recurrence.listing(LIST, None, "Tin", set(), 0, [])             # redesigned: no content, no pager
    recurrence.listing(f"{H}/other/", None, "Other", set(), 0, [])   # never complete: not an alarm
    assert recurrence.emptied == [LIST] and recurrence.walked() == {}


def test_pages_of_the_same_listing_are_not_news_and_not_worth_a_stray_request() -> None:
    recurrence = memory(True)
    last = f"{H}/tin/page/9/"
    assert recurrence.listing(LIST, None, "Tin", {P2, P3}, 3, [KNOWN_A, last])[1] == set()
    assert recurrence.listing(last, None, "Tin", {P2}, 3, [KNOWN_A])[0] == LIST    # reached outside its pager
    assert recurrence.skips(last)                        # a "last page" link: not requested
    assert not recurrence.skips(P2, paged=True)          # through the pager: requested
    assert not memory(False).skips(last)                 # a listing not walked before: requested
