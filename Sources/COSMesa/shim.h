// OSMesa (Mesa's off-screen, CPU/llvmpipe GL) from Debian's libosmesa6-dev (pkg-config "osmesa").
#include <GL/osmesa.h>
