#!/usr/bin/env python3
"""check.py - checks tests/vectors/petition/vectors.txt with an independent
implementation (python3-cryptography, i.e. OpenSSL): the ECDH shared secret,
the HKDF output, the AES-256-GCM decryption of the identity (additional data
= record bytes 0..218) and the kiosk's ECDSA signature. Not run by ctest;
run it by hand after regenerating the vectors."""
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

v = {}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.txt"),
          encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or " = " not in line:
            continue
        k, _, val = line.rstrip("\n").partition(" = ")
        v[k] = val
rec = bytes.fromhex(v["record"])
assert len(rec) == 555 and rec[:4] == b"BRNS"
auth = ec.derive_private_key(int(v["authority_private"], 16), ec.SECP256R1())
eph = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), rec[154:219])
z = auth.exchange(ec.ECDH(), eph)
assert z.hex() == v["shared_x"], "shared secret"
a_pub = bytes.fromhex(v["authority_public"])
okm = HKDF(hashes.SHA256(), 44, salt=rec[154:219] + a_pub,
           info=b"borne petition identity v1").derive(z)
assert okm[:32].hex() == v["aes_key"] and okm[32:].hex() == v["gcm_nonce"], "HKDF"
pt = AESGCM(okm[:32]).decrypt(okm[32:], rec[219:491], rec[:219])
assert pt.hex() == v["plaintext"], "plaintext"
la, lb = pt[1], pt[2]
assert pt[18:18 + la].decode() == v["last_name"]
assert pt[18 + la:18 + la + lb].decode() == v["first_names"]
assert pt[3:13].decode() == v["birth"] and pt[13:18].decode() == v["commune"]
kiosk = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),
                                                     bytes.fromhex(v["kiosk_public"]))
sig = encode_dss_signature(int.from_bytes(rec[491:523], "big"), int.from_bytes(rec[523:], "big"))
kiosk.verify(sig, rec[:491], ec.ECDSA(hashes.SHA256()))
print("petition vector: ECDH, HKDF, AES-256-GCM and ECDSA agree")
sys.exit(0)
