"""Evidence for src/nn/optim.rs: replays the Adam goldens with its exact
formula in numpy. With torch.sqrt in place of a correctly rounded sqrt it
matches PyTorch bit for bit, so the only difference left is sqrt rounding.

Run: /tmp/torch/bin/python tests/goldens/check_adam_formula.py
"""
import json, numpy as np, torch
from fractions import Fraction
f=np.float32
def fma(a,b,c): return f(float(Fraction(float(a))*Fraction(float(b))+Fraction(float(c))))
G=json.load(open('tests/goldens/optim.json'))
def fl(b): return np.array(b,dtype=np.int32).view(np.float32)
for case in G['trajectories']:
    if case['kind']!='adam': continue
    o=case['options']; lr=o.get('lr',0.001); b1,b2=o.get('betas',(0.9,0.999)); eps=o.get('eps',1e-8); wd=o.get('weight_decay',0)
    for use_torch_sqrt in [False, True]:
        ps=[fl(G['p0'][k]).copy() for k in ('w','b')]
        st=[None,None]; bad=0
        for step,(grads,after) in enumerate(zip(case['grads'],case['params'])):
            for k in range(2):
                if grads[k] is None: continue
                p=ps[k]; g=fl(grads[k])
                if wd: g=np.array([fma(f(wd),p[i],g[i]) for i in range(len(p))])
                if st[k] is None: st[k]=[0,np.zeros_like(p),np.zeros_like(p)]
                s=st[k]; s[0]+=1; w=f(1-b1)
                s[1]=np.array([fma(w,f(g[i]-s[1][i]),s[1][i]) if abs(1-b1)<0.5 else fma(f(w-f(1)),f(g[i]-s[1][i]),g[i]) for i in range(len(p))])
                val=f(1-b2)
                s[2]=np.array([fma(f(val*g[i]),g[i],f(s[2][i]*f(b2))) for i in range(len(p))])
                bc1=1-b1**float(s[0]); bc2=1-b2**float(s[0]); ss=lr/bc1; bc2s=bc2**0.5
                sq=torch.from_numpy(s[2].copy()).sqrt().numpy() if use_torch_sqrt else np.sqrt(s[2])
                denom=((sq/f(bc2s)).astype(f)+f(eps)).astype(f)
                ps[k]=((((f(-ss)*s[1]).astype(f))/denom).astype(f)+p).astype(f)
            for k in range(2):
                bad+=int((ps[k]!=fl(after[k])).sum())
        print(o, "torch_sqrt" if use_torch_sqrt else "exact_sqrt", "mismatches", bad)
