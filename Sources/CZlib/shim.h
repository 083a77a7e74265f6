#ifndef DMDISSECT_CZLIB_SHIM_H
#define DMDISSECT_CZLIB_SHIM_H
#include <zlib.h>
#endif
