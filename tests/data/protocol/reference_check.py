#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# An independent implementation of docs/protocol.md (hashlib + cryptography):
# rebuilds batch1024.json, descriptor_member.json, rotation.json and
# revocation.json from the text of the spec and checks them (hashed bytes,
# header JCS and Ed25519 signatures byte for byte). Usage: reference_check.py [SHARED_DIR]
import json, hashlib, base64, sys
import os
D=os.path.dirname(os.path.abspath(__file__))+'/'
SHARED=sys.argv[1] if len(sys.argv) > 1 else os.path.join(D, '../../../../shared')
def b64(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()
def ub64(s): return base64.urlsafe_b64decode(s+'='*(-len(s)%4))
def jcs(o): return json.dumps(o,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()
EXT="extension-definition--e4509b2b-5d52-4a3f-a8b6-31b6618081d2"
def hashed(o):
    o=dict(o); o.pop('signatures',None)
    if isinstance(o.get('extensions'),dict):
        e=dict(o['extensions']); e.pop(EXT,None)
        if e: o['extensions']=e
        else: del o['extensions']
    return jcs(o)
def leaf(salt,h): return hashlib.sha256(b'\0'+salt+h).digest()
def mth(L):
    if len(L)==1: return L[0]
    k=1
    while k*2<len(L): k*=2
    return hashlib.sha256(b'\x01'+mth(L[:k])+mth(L[k:])).digest()
def path(L,i):
    if len(L)==1: return []
    k=1
    while k*2<len(L): k*=2
    if i<k: return path(L[:k],i)+[mth(L[k:])]
    return path(L[k:],i-k)+[mth(L[:k])]
try:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
except ImportError: Ed25519PrivateKey=None
def keyinfo(seed):
    if not Ed25519PrivateKey: return None
    k=Ed25519PrivateKey.from_private_bytes(seed)
    from cryptography.hazmat.primitives import serialization as s
    pub=k.public_key().public_bytes(s.Encoding.Raw,s.PublicFormat.Raw)
    der=k.public_key().public_bytes(s.Encoding.DER,s.PublicFormat.SubjectPublicKeyInfo)
    assert der==bytes.fromhex('302a300506032b6570032100')+pub
    return k,pub,hashlib.sha256(der).hexdigest()
def header(p,kid,signer,signed,root,size):
    return jcs({"purpose":p,"alg":"Ed25519","kid":kid,"signer":signer,"signed":signed,"root":root,"size":size})
# batch1024
d=json.load(open(D+'batch1024.json'))
addrs=[l.split(',')[1] for l in open(os.path.join(SHARED, 'data/bybit-hack-2025/fbi_psa250226_eth_addresses.csv')).read().splitlines()[1:]]
assert addrs==d['addresses']
def ind(i):
    a=addrs[i%len(addrs)]
    return {"type":"indicator","spec_version":"2.1","id":"indicator--%08x-6b1e-4c2a-9d3f-%012x"%(i,i*7919),
     "created":"2025-02-26T18:00:00.000Z","modified":"2025-02-26T18:00:00.000Z","created_by_ref":d['signer'],
     "name":"Bybit theft laundering wallet "+a,"pattern":"[cryptocurrency-wallet:value = '%s']"%a,"pattern_type":"stix",
     "valid_from":"2025-02-26T00:00:00Z","confidence":85,"indicator_types":["malicious-activity"],
     "object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"],
     "external_references":[{"source_name":"FBI IC3","external_id":"I-022625-PSA","url":"https://www.ic3.gov/PSA/2025/PSA250226"}]}
salts=[hashlib.sha256(b'salt'+str(i).encode()).digest()[:16] for i in range(1024)]
L=[leaf(salts[i],hashed(ind(i))) for i in range(1024)]
assert [x.hex() for x in L]==d['leaves_hex']
root=b64(mth(L)); assert root==d['root_b64url']
ki=keyinfo(bytes(range(32)))
H=header("threatex-batch-v1",d['signing_key']['kid'],d['signer'],d['signed'],root,1024)
assert H.decode()==d['header_jcs']
sig=b64(ki[0].sign(H)) if ki else None
for s in d['samples']:
    i=s['index']; o=ind(i); assert o==s['object']; assert hashed(o).decode()==s['hashed_bytes']
    so=s['signed_object']; e=so['signatures'][0]
    exp={"alg":"Ed25519","kid":ki[2] if ki else e['kid'],"signer":d['signer'],"signed":d['signed'],
      "batch":{"root":root,"size":1024,"index":i,"salt":b64(salts[i]),"path":[b64(p) for p in path(L,i)]},"sig":sig or e['sig']}
    assert e==exp, (e,exp)
    o2=dict(o); o2['extensions']={EXT:{"extension_type":"toplevel-property-extension"}}; o2['signatures']=[exp]
    assert so==o2
print('batch1024 ok', ki is not None)
for f,p,label,k in [('descriptor_member','threatex-descriptor-v1','salt-descriptor',0),('rotation','threatex-rotation-v1','salt-rotation',0),('revocation','threatex-revocation-v1','salt-revocation',1)]:
    d=json.load(open(D+f+'.json')); o=d['object']
    salt=hashlib.sha256(label.encode()).digest()[:16]
    lf=leaf(salt,hashed(o)); assert hashed(o).decode()==d['hashed_bytes']; assert lf.hex()==d['leaf_hex']
    ki=keyinfo(bytes(range(32*k,32*k+32)))
    H=header(p,ki[2],d['signer'],d['signed'],b64(lf),1)
    assert H.decode()==d['header_jcs']
    e={"alg":"Ed25519","kid":ki[2],"signer":d['signer'],"signed":d['signed'],"batch":{"root":b64(lf),"size":1,"index":0,"salt":b64(salt),"path":[]},"sig":b64(ki[0].sign(H))}
    o2=dict(o); o2['signatures']=[e]; assert o2==d['signed_object']
    if f!='revocation':
        nk=keyinfo(bytes(range(32*(k+1)+ (32 if f=='rotation' else 0), 32*(k+1)+32+(32 if f=='rotation' else 0))))
        assert o['next_key_sha256']==b64(hashlib.sha256(nk[1]).digest())
    print(f,'ok')
