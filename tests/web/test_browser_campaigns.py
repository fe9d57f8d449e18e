"""The Campaigns page in Chromium against `marginscope serve` of the demo company (tests/live_server.py):
its figures are the metrics layer's, computed over a copy of the same warehouse, and a click on a
campaign opens its detail."""

from __future__ import annotations

import pytest

from marginscope import formats as fmt
from marginscope import url_state

pytestmark = pytest.mark.browser


def test_the_campaigns_page_shows_the_metrics_layers_figures_and_opens_a_campaign(page, expected):
    first, last = expected.catalog.data_span()
    filters = url_state.with_defaults(url_state.parse(""), first, last)
    campaigns = expected.campaigns.summary(filters)
    assert not campaigns.empty, "the demo runs campaigns every year, so the year to date holds some"
    page.open("/campaigns")
    for index, campaign in campaigns.iterrows():
        row = page.tab.locator(f"#panel-campaigns .ag-row[row-index='{index}']")
        assert campaign["name"] in page.row_text("#panel-campaigns", index)
        # The grid writes numbers as MS.money and MS.percent do (en-US grouping).
        cell = row.locator("[col-id='attributed_revenue']")
        assert cell.inner_text() == f"{float(campaign.attributed_revenue):,.0f}"
        roi = row.locator("[col-id='roi']")
        assert roi.inner_text() == f"{float(campaign.roi) * 100:,.1f}%"
        assert ("ms-negative" in (roi.get_attribute("class") or "")) == (campaign.roi < 0)

    chosen = campaigns.iloc[0]
    page.tab.locator("#panel-campaigns .ag-row[row-index='0'] [col-id='name']").click()
    page.wait_for_view(f"/campaigns/{chosen.campaign_id}")
    assert page.text("#campaign-name") == chosen["name"]
    assert page.text("#kpi-attributed_revenue") == fmt.money(chosen.attributed_revenue, "EUR")
    assert page.text("#kpi-lift") == fmt.money(chosen.lift, "EUR")
    assert page.text("#kpi-roi") == fmt.percent(chosen.roi)
    assert page.errors == []
