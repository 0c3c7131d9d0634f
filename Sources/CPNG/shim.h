// libpng 1.6 from Debian's libpng-dev (pkg-config "libpng"). Imaging uses only the simplified
// API (png_image_*), which handles libpng's setjmp-based errors internally and reports them in
// png_image.message, so no longjmp ever crosses Swift frames.
#include <png.h>
