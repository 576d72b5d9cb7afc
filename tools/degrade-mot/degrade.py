#!/usr/bin/env python3
# Turns MOTChallenge ground truth into detections a detector might give: drops a share of the boxes and jitters
# every coordinate uniformly by up to a share of the box size (score 0.9, class kept, id -1). Seeded.
#   degrade.py GT_TXT OUT_TXT DROP JITTER SEED      e.g. degrade.py gt/gt.txt dets.txt 0.2 0.05 3
import random,sys
gt,out,drop,jit,seed=sys.argv[1],sys.argv[2],float(sys.argv[3]),float(sys.argv[4]),int(sys.argv[5])
r=random.Random(seed)
with open(out,'w') as o:
    for line in open(gt):
        f,i,x,y,w,h,c,cl,v=line.strip().split(',')
        if r.random()<drop: continue
        x,y,w,h=map(float,(x,y,w,h))
        J=lambda s:(r.random()*2-1)*jit*s
        o.write(f"{f},-1,{x+J(w)},{y+J(h)},{w+J(w)},{h+J(h)},0.9,{cl},-1\n")
