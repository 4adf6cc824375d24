#!/usr/bin/env python3
"""mes_reference.py - a slow, plain reference of the counting rules of
borne-tally, with Python's exact Fractions, for cross-checking by hand:

    python3 tests/tally/mes_reference.py FILE.pb [greedy|equalshares|equalshares/add1]

prints the winning project ids, one a line, in the order borne-tally uses.
Only simple files (no quoted fields). Not run by ctest (CI has no Python
requirement); docs/counting.md says how it was used."""
import sys
from fractions import Fraction as Fr


def mes(n, cost, appr, budget, rank):
    b = [Fr(budget, n)] * n
    rem = [c for c in range(len(cost)) if appr[c]]
    win = []
    while True:
        best = None
        for c in rem:
            S = sorted(appr[c], key=lambda i: b[i])
            if sum(b[i] for i in S) < cost[c]:
                continue
            paid, k = Fr(0), len(S)
            for i in S:
                if b[i] < (cost[c] - paid) / k:
                    paid += b[i]
                    k -= 1
                else:
                    break
            q = (cost[c] - paid) / k
            key = (q / cost[c], cost[c], -len(appr[c]), rank[c])
            if best is None or key < best[0]:
                best = (key, c, q)
        if best is None:
            return win
        _, c, q = best
        for i in appr[c]:
            b[i] = b[i] - q if b[i] > q else Fr(0)
        rem.remove(c)
        win.append(c)


def add1(n, cost, appr, budget, rank):
    cur, t = mes(n, cost, appr, budget, rank), 0
    while True:
        cc = sum(cost[c] for c in cur)
        if not any(c not in cur and appr[c] and cc + cost[c] <= budget for c in range(len(cost))):
            return cur
        t += 1
        nxt = mes(n, cost, appr, budget + t * n, rank)
        if sum(cost[c] for c in nxt) > budget:
            return cur
        cur = nxt


def greedy(n, cost, appr, budget, rank):
    left, win = budget, []
    for c in sorted(range(len(cost)), key=lambda c: (-len(appr[c]), cost[c], rank[c])):
        if cost[c] <= left:
            left -= cost[c]
            win.append(c)
    return win


def amount(s):
    s = s.strip()
    if '.' in s:
        whole, frac = s.split('.', 1)
        assert frac.strip('0') == '', s
        s = whole
    return int(s)


def main():
    text = open(sys.argv[1], encoding='utf-8-sig').read().replace('\r\n', '\n')
    sec, head, meta, ids, cost, ballots = None, None, {}, [], [], []
    for line in text.split('\n'):
        if not line.strip():
            continue
        if line.strip() in ('META', 'PROJECTS', 'VOTES'):
            sec, head = line.strip(), None
            continue
        f = line.split(';')
        if head is None:
            head = [h.strip() for h in f]
            continue
        row = dict(zip(head, f))
        if sec == 'META':
            meta[row['key'].strip()] = row['value'].strip()
        elif sec == 'PROJECTS':
            ids.append(row['project_id'].strip())
            cost.append(amount(row['cost']))
        else:
            v = row['vote'].strip()
            ballots.append([ids.index(x.strip()) for x in v.split(',')] if v else [])
    rule = sys.argv[2] if len(sys.argv) > 2 else meta['rule']
    numeric = all(i.isdigit() for i in ids)
    order = sorted(range(len(ids)), key=lambda c: (int(ids[c]), ids[c]) if numeric else ids[c].encode())
    rank = [0] * len(ids)
    for r, c in enumerate(order):
        rank[c] = r
    n = len(ballots)
    appr = [[i for i in range(n) if c in ballots[i]] for c in range(len(ids))]
    fn = {'greedy': greedy, 'equalshares': mes, 'equalshares/add1': add1}[rule]
    for c in sorted(fn(n, cost, appr, amount(meta['budget']), rank), key=lambda c: rank[c]):
        print(ids[c])


if __name__ == '__main__':
    main()
