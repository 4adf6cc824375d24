#!/usr/bin/env python3
"""supervise.py SRC_DIR OUT.json - the campaign description of SRC_DIR with
polls.eligibility "supervised" (CAST-C8), its source files named from SRC_DIR
so that borne-admin campaign build finds them from anywhere."""
import json
import os
import sys

src, out = sys.argv[1], sys.argv[2]
d = json.load(open(os.path.join(src, 'campaign.json'), encoding='utf-8'))
d['polls']['eligibility'] = 'supervised'
for k, v in d['sources'].items():
    if isinstance(v, str):
        d['sources'][k] = os.path.normpath(os.path.join(src, v))
json.dump(d, open(out, 'w', encoding='utf-8'), ensure_ascii=False, indent=2)
