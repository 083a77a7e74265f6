#!/usr/bin/env python3
"""Load a tiny eBPF tc program that silently drops the packets carrying a firewall mark,
and pin it to a bpffs path.  Used by scripts/record-samples (reorder target) to lose
segments BEFORE the capture point without telling TCP.

Why not `iptables -j DROP` in OUTPUT: a packet dropped by netfilter on the sending host
makes ip_local_out fail (-EPERM), TCP sees the error, keeps the segment unsent and sends
it again in order, so the capture never has a hole.  A tc egress program that returns
TC_ACT_STOLEN makes __dev_queue_xmit report NET_XMIT_SUCCESS: TCP believes the segment
went out and has to recover it by a real retransmission (SACK / RTO), after the later
segments.  tc egress runs before the AF_PACKET tap of the device, so the capture on that
device never sees the dropped packet.  Which packets to drop is chosen by iptables (e.g.
`-t mangle -A OUTPUT ... -m statistic --mode random --probability 0.1 -j MARK
--set-mark 0x77`); attach the pinned program with
  tc qdisc add dev DEV clsact
  tc filter add dev DEV egress bpf da object-pinned PATH

Usage: drop_bpf.py PATH MARK      (MARK: the skb->mark to drop, e.g. 0x77)
PATH must be on a mounted bpffs (mount -t bpf bpf DIR).  Linux x86_64/arm64, root,
stdlib only (ctypes + the bpf(2) syscall, helpers from vlan_bpf.py).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vlan_bpf import EXIT, MOV64_K, TC_ACT_OK, insn, load, pin  # noqa: E402

LDX_W, JNE_K = 0x61, 0x55
SKB_MARK = 8               # offsetof(struct __sk_buff, mark)
TC_ACT_STOLEN = 4


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, mark = sys.argv[1], int(sys.argv[2], 0)
    prog = (insn(LDX_W, 2, 1, off=SKB_MARK)               # r2 = skb->mark
            + insn(JNE_K, 2, off=2, imm=mark)             # if r2 != mark goto pass
            + insn(MOV64_K, 0, imm=TC_ACT_STOLEN) + insn(EXIT)
            + insn(MOV64_K, 0, imm=TC_ACT_OK) + insn(EXIT))   # pass:
    pin(load(prog), path)


if __name__ == "__main__":
    main()
