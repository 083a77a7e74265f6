#ifndef DMDISSECT_CPCAP_SHIM_H
#define DMDISSECT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
