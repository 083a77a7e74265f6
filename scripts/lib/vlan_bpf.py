#!/usr/bin/env python3
"""Load a tiny eBPF tc program that pushes or pops VLAN tags and pin it to a bpffs path.

Fallback for kernels built without 802.1Q support (CONFIG_VLAN_8021Q unset, so
`ip link add ... type vlan` fails).  The program calls the kernel helpers
bpf_skb_vlan_push / bpf_skb_vlan_pop, so the tags are added and removed by the
kernel on real traffic; attach the pinned program with
  tc qdisc add dev DEV clsact
  tc filter add dev DEV egress  bpf da object-pinned PATH_PUSH
  tc filter add dev DEV ingress bpf da object-pinned PATH_POP

Usage: vlan_bpf.py push PATH TPID:VID [TPID:VID ...]   (innermost tag first,
                                                        e.g. 8100:100 88a8:200)
       vlan_bpf.py pop PATH N                           (pop N tags)
PATH must be on a mounted bpffs (mount -t bpf bpf DIR).  Linux x86_64/arm64,
root, stdlib only (ctypes + the bpf(2) syscall).
"""
import ctypes
import os
import platform
import struct
import sys

SYS_BPF = {"x86_64": 321, "aarch64": 280, "arm64": 280}
BPF_PROG_LOAD, BPF_OBJ_PIN = 5, 6
BPF_PROG_TYPE_SCHED_CLS = 3
FUNC_SKB_VLAN_PUSH, FUNC_SKB_VLAN_POP = 18, 19
MOV64_K, MOV64_X, CALL, EXIT = 0xB7, 0xBF, 0x85, 0x95
TC_ACT_OK = 0

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr + b"\0" * (144 - len(attr)), 144)
    nr = SYS_BPF[platform.machine()]
    r = libc.syscall(ctypes.c_long(nr), ctypes.c_long(cmd), buf, ctypes.c_long(144))
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r


def load(prog):
    code = ctypes.create_string_buffer(prog, len(prog))
    lic = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(65536)
    attr = struct.pack("<IIQQIIQI", BPF_PROG_TYPE_SCHED_CLS, len(prog) // 8,
                       ctypes.addressof(code), ctypes.addressof(lic),
                       1, len(log), ctypes.addressof(log), 0)
    try:
        return bpf(BPF_PROG_LOAD, attr)
    except OSError:
        sys.stderr.write(log.value.decode(errors="replace"))
        raise


def pin(fd, path):
    p = ctypes.create_string_buffer(path.encode())
    bpf(BPF_OBJ_PIN, struct.pack("<QII", ctypes.addressof(p), fd, 0))


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("push", "pop"):
        sys.exit(__doc__)
    mode, path, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    prog = insn(MOV64_X, 6, 1)                       # r6 = skb
    if mode == "push":
        for tag in rest:
            tpid, vid = tag.split(":")
            be_tpid = struct.unpack("<H", struct.pack(">H", int(tpid, 16)))[0]  # __be16
            prog += insn(MOV64_X, 1, 6) + insn(MOV64_K, 2, imm=be_tpid)
            prog += insn(MOV64_K, 3, imm=int(vid)) + insn(CALL, imm=FUNC_SKB_VLAN_PUSH)
    else:
        for _ in range(int(rest[0])):
            prog += insn(MOV64_X, 1, 6) + insn(CALL, imm=FUNC_SKB_VLAN_POP)
    prog += insn(MOV64_K, 0, imm=TC_ACT_OK) + insn(EXIT)
    pin(load(prog), path)


if __name__ == "__main__":
    main()
