// MuJoCo 2.2.2 from Debian's libmujoco-dev (no pkg-config file is shipped; the module map links it).
#include <mujoco/mujoco.h>
