"""Generates the fictional example data set shipped with the crate (data.csv).

Run from this folder with `python3 generate.py`. Seeded: the output is the same
on every run. The units and values are invented; they describe no real place.
"""
import csv
import math
import random

rng = random.Random(20261122)
names = ["Avalon", "Brightwater", "Cedarvale", "Dunmore", "Eastmarch", "Fairhaven",
         "Glenholm", "Highcliff", "Ironbridge", "Juniper Bay", "Kestrel Isles",
         "Lakeshire", "Moorfield", "Northwatch", "Oakridge", "Pinecrest",
         "Queensport", "Riverton", "Stonegate", "Thornbury"]
regions = ["North", "South", "East", "West"]
rows = []
for i, name in enumerate(names):
    talent = rng.gauss(0, 1)
    pop = round(math.exp(rng.gauss(1.5, 1.0)), 3)  # millions
    r = {
        "uCode": "X" + name[:2].upper(),
        "uName": name,
        "Region": regions[i % 4],
        "Population": pop,
        "edu_spend": round(4 + 0.8 * talent + rng.gauss(0, 0.6), 2),
        "tertiary": round(min(95, max(5, 40 + 12 * talent + rng.gauss(0, 8))), 1),
        "researchers": round(pop * math.exp(7 + 0.8 * talent + rng.gauss(0, 0.5))),
        "broadband": round(min(100, max(10, 70 + 10 * talent + rng.gauss(0, 8))), 1),
        "logistics": round(min(5, max(1, 3 + 0.5 * talent + rng.gauss(0, 0.3))), 2),
        "startup_days": round(max(1, 20 - 5 * talent + rng.gauss(0, 4)), 1),
        "credit": round(max(5, 60 + 20 * talent + rng.gauss(0, 15)), 1),
        "venture": round(math.exp(2 + 1.2 * talent + rng.gauss(0, 0.8)), 2),
        "patents": round(pop * math.exp(3 + 1.3 * talent + rng.gauss(0, 0.6))),
        "hightech_exports": round(min(60, max(0.5, 15 + 8 * talent + rng.gauss(0, 5))), 1),
        "creative_goods": round(max(0.1, 2 + 0.8 * talent + rng.gauss(0, 0.7)), 2),
        "apps": round(max(0, 10 + 6 * talent + rng.gauss(0, 4)), 1),
    }
    rows.append(r)
# one heavy-tailed outlier and a few missing values
rows[3]["venture"] = 950.0
for (i, col) in [(5, "credit"), (11, "apps"), (17, "edu_spend"), (8, "creative_goods")]:
    rows[i][col] = ""
with open("data.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
