"""A small company with campaigns and survey answers, worked out by hand in the tests that use it.

Customers: C1 (Acme, North, Gold, owned by R1), C2 (Globex, South, Bronze, R2),
C3 (Initech, North, Gold, R2), C4 (Umbrella, West, Silver, R1).

Campaigns (target_segment -> matched attribute; window; baseline = as many days before):
- K1 "gold" -> tier Gold (C1, C3); 1-10 Mar 2026 (10 days); baseline 19-28 Feb; cost 100.
- K2 "South" -> region South (C2); 5-11 Mar 2026 (7 days); baseline 26 Feb - 4 Mar; cost 0.
- K3 "Champions" -> no attribute matches: all customers; 10-12 Jan 2026; baseline 7-9 Jan;
  no cost.
- K4 "Silver" -> tier Silver (C4); June 2025 (30 days); baseline 2 May - 31 May 2025; cost 50.

Invoice lines (revenue / COGS; campaign):
- L1  2 Mar C1 P1 100 / 60 K1      - L2  5 Mar C3 P2 200 / 80 K1
- CN1 20 Mar C1 P1 credit note 20 / 12 K1 (after the campaign: attributed, not in its window)
- L3 20 Feb C1 P1 50 / 30 (K1's baseline)   - L4 18 Feb C1 P1 70 / 40 (a day before it)
- L5 10 Mar C3 P1 30 / 18 (K1's last day)   - L6 11 Mar C1 P1 40 / 24 (a day after it)
- L7  3 Mar C2 P1 500 / 300 K1 (attributed to K1 though C2 is not Gold; K2's baseline)
- L8  8 Mar C2 P2 200 / 40 K2     - L9 11 Jan C4 P1 10 / 6 K3     - L10 8 Jan C2 P1 20 / 12
- L11 10 Jun 2025 C4 P1 100 / 50 K4 (the first invoice of all)

Deals: D1 won C1 1000 K1; D2 lost C3 K1; D3 engaging C1 K1; D4 won C2 300 K1 (closed 15 Apr,
after the campaign); D5 won C3 50 without a campaign.

Survey answers: C1 10 on 15 Jan and 6 on 20 Mar 2026; C2 9 on 10 Feb; C3 7 on 11 Feb;
C4 8 on 1 Mar; outside Q1 2026: C4 0 on 31 Dec 2025, C2 3 on 2 Apr 2026.
Cost to serve: C1 18.00 on 1 Feb 2026.
"""

import datetime as dt

from marginscope.metrics import Filters

CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R2
C4,Umbrella,retail,West,Silver,R1
"""
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\nP2,Licence,Software\n"
REPS = "rep_id,name,manager\nR1,Ann,Mia\nR2,Bob,Mia\n"
CAMPAIGNS = """campaign_id,name,channel,start_date,end_date,cost,target_segment
K1,Gold spring,Email,2026-03-01,2026-03-10,100.00,gold
K2,South push,Webinar,2026-03-05,2026-03-11,0,South
K3,New year,Email,2026-01-10,2026-01-12,,Champions
K4,Silver summer,Trade Show,2025-06-01,2025-06-30,50.00,Silver
"""
LINES = """invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs,campaign_id
L1,1,invoice,2026-03-02,O1,C1,P1,R1,10,10.00,0,100.00,60.00,K1
L2,1,invoice,2026-03-05,O2,C3,P2,R2,1,200.00,0,200.00,80.00,K1
CN1,1,credit_note,2026-03-20,O1,C1,P1,R1,2,10.00,0,20.00,12.00,K1
L3,1,invoice,2026-02-20,O3,C1,P1,R1,5,10.00,0,50.00,30.00,
L4,1,invoice,2026-02-18,O4,C1,P1,R1,7,10.00,0,70.00,40.00,
L5,1,invoice,2026-03-10,O5,C3,P1,R2,3,10.00,0,30.00,18.00,
L6,1,invoice,2026-03-11,O6,C1,P1,R1,4,10.00,0,40.00,24.00,
L7,1,invoice,2026-03-03,O7,C2,P1,R2,50,10.00,0,500.00,300.00,K1
L8,1,invoice,2026-03-08,O8,C2,P2,R2,1,200.00,0,200.00,40.00,K2
L9,1,invoice,2026-01-11,O9,C4,P1,R1,1,10.00,0,10.00,6.00,K3
L10,1,invoice,2026-01-08,O10,C2,P1,R2,2,10.00,0,20.00,12.00,
L11,1,invoice,2025-06-10,O11,C4,P1,R1,10,10.00,0,100.00,50.00,K4
"""
OPPORTUNITIES = """opportunity_id,customer_id,rep_id,product_id,stage,engage_date,close_date,close_value,campaign_id
D1,C1,R1,P1,won,2026-02-01,2026-03-05,1000.00,K1
D2,C3,R2,P2,lost,2026-02-01,2026-03-06,,K1
D3,C1,R1,P2,engaging,2026-03-02,,,K1
D4,C2,R2,P1,won,2026-02-10,2026-04-15,300.00,K1
D5,C3,R2,P1,won,2026-01-05,2026-02-01,50.00,
"""
NPS = """customer_id,response_date,score,comment
C1,2026-01-15,10,Great service
C1,2026-03-20,6,Deliveries late
C2,2026-02-10,9,
C3,2026-02-11,7,
C4,2026-03-01,8,
C4,2025-12-31,0,
C2,2026-04-02,3,
"""
COSTS = "cost_id,customer_id,cost_date,category,amount\nX1,C1,2026-02-01,freight,18.00\n"
Q1 = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))


def tables(**without: bool) -> dict[str, str]:
    """The company's CSV texts by table, in load order; ``name=False`` leaves a table out."""
    every = {"reps": REPS, "customers": CUSTOMERS, "products": PRODUCTS, "campaigns": CAMPAIGNS,
             "invoice_lines": LINES, "opportunities": OPPORTUNITIES, "nps_responses": NPS, "costs_to_serve": COSTS}
    return {name: text for name, text in every.items() if without.get(name, True)}
