// Guarded MuJoCo entry points (pure C). MuJoCo reports fatal errors through mju_user_error, whose
// default calls exit(); a replacement handler must not return to MuJoCo. Each function below sets a
// setjmp point, calls MuJoCo, and the handler installed by osp_mj_install_handlers longjmps back to
// it: the function then returns a non-zero code and copies MuJoCo's message into `error`.
//
// All guards are per thread (thread-local jump buffer), so simulations on different threads are
// independent. A MuJoCo error raised on a thread outside any guard prints the message and aborts.
#ifndef OSPREY_MUJOCO_SHIM_H
#define OSPREY_MUJOCO_SHIM_H

#include <mujoco/mujoco.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Installs the error and warning handlers (idempotent, thread-safe).
void osp_mj_install_handlers(void);

/// Loads and compiles MJCF through MuJoCo's XML loader. Returns NULL on failure with the message
/// (which names the XML element and line) in `error`. Loads are serialized by a process-wide lock
/// because MuJoCo's compiler swaps the global error handlers while it runs.
mjModel* osp_mj_load_xml(const char* filename, const mjVFS* vfs, char* error, int error_size);

/// mj_makeData; NULL and a message on failure.
mjData* osp_mj_make_data(const mjModel* m, char* error, int error_size);

/// mj_step, mj_step1, mj_step2, mj_forward: 0 on success, 1 on a MuJoCo error (message in `error`).
int osp_mj_step(const mjModel* m, mjData* d, char* error, int error_size);
int osp_mj_step1(const mjModel* m, mjData* d, char* error, int error_size);
int osp_mj_step2(const mjModel* m, mjData* d, char* error, int error_size);
int osp_mj_forward(const mjModel* m, mjData* d, char* error, int error_size);

/// mj_kinematics + mj_collision only (poses and contacts, no dynamics): collision queries.
int osp_mj_kinematics_collision(const mjModel* m, mjData* d, char* error, int error_size);

/// mjv_makeScene + mjr_makeContext + mjr_setBuffer(mjFB_OFFSCREEN) in the current GL context.
int osp_mjr_make_scene_and_context(const mjModel* m, mjvScene* scn, int maxgeom, mjrContext* con,
                                   char* error, int error_size);

/// mjv_updateScene + mjr_render + mjr_readPixels (rgb and/or depth may be NULL).
int osp_mjr_render_read(const mjModel* m, mjData* d, const mjvOption* opt, mjvCamera* cam,
                        mjvScene* scn, mjrContext* con, mjrRect viewport, int update_scene,
                        unsigned char* rgb, float* depth, char* error, int error_size);

/// Warnings raised on this thread since the last call: returns how many, and copies their
/// messages (newline-separated, truncated to `size`) into `out`, then clears them.
int osp_mj_take_warnings(char* out, int size);

/// How many warnings are pending on this thread (cheap; no copy).
int osp_mj_pending_warnings(void);

#ifdef __cplusplus
}
#endif

#endif
