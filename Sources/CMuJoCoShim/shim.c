#include "osprey_mujoco_shim.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The innermost active guard on this thread and the message of the error that ended it.
static _Thread_local jmp_buf* guard = NULL;
static _Thread_local char error_message[1024];

// Warnings raised on this thread and not yet taken.
static _Thread_local char warning_text[2048];
static _Thread_local int warning_count = 0;

static void copy_message(char* dst, int size, const char* src) {
  if (dst == NULL || size <= 0) return;
  snprintf(dst, (size_t)size, "%s", src ? src : "");
}

static void osp_error_handler(const char* message) {
  if (guard != NULL) {
    copy_message(error_message, (int)sizeof error_message, message);
    longjmp(*guard, 1);
  }
  fprintf(stderr, "osprey: MuJoCo error outside a guarded call: %s\n", message);
  abort();
}

static void osp_warning_handler(const char* message) {
  size_t used = strlen(warning_text);
  if (used + 2 < sizeof warning_text) {
    snprintf(warning_text + used, sizeof warning_text - used, "%s%s", used ? "\n" : "", message);
  }
  warning_count++;
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static void install(void) {
  mju_user_error = osp_error_handler;
  mju_user_warning = osp_warning_handler;
}

void osp_mj_install_handlers(void) { pthread_once(&install_once, install); }

int osp_mj_take_warnings(char* out, int size) {
  int n = warning_count;
  copy_message(out, size, warning_text);
  warning_text[0] = 0;
  warning_count = 0;
  return n;
}

int osp_mj_pending_warnings(void) { return warning_count; }

// Runs BODY under a guard; on a MuJoCo error restores the previous guard, copies the message and
// executes ON_ERROR. Variables that BODY changes and ON_ERROR reads must be volatile.
#define GUARDED(BODY, ON_ERROR)                                   \
  do {                                                            \
    osp_mj_install_handlers();                                    \
    jmp_buf env;                                                  \
    jmp_buf* volatile previous = guard;                           \
    if (setjmp(env) != 0) {                                       \
      guard = previous;                                           \
      copy_message(error, error_size, error_message);             \
      ON_ERROR;                                                   \
    }                                                             \
    guard = &env;                                                 \
    BODY;                                                         \
    guard = previous;                                             \
  } while (0)

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

mjModel* osp_mj_load_xml(const char* filename, const mjVFS* vfs, char* error, int error_size) {
  mjModel* volatile model = NULL;
  pthread_mutex_lock(&load_lock);
  GUARDED(model = mj_loadXML(filename, vfs, error, error_size),
          { pthread_mutex_unlock(&load_lock); return NULL; });
  pthread_mutex_unlock(&load_lock);
  return model;
}

mjData* osp_mj_make_data(const mjModel* m, char* error, int error_size) {
  mjData* volatile data = NULL;
  GUARDED(data = mj_makeData(m), return NULL);
  if (data == NULL) copy_message(error, error_size, "mj_makeData returned NULL");
  return data;
}

// After an error inside the engine the scratch stack may still be marked; release it so the
// mjData stays usable (the caller decides whether to reset the state).
#define ENGINE_CALL(CALL) \
  GUARDED(CALL, { d->pstack = 0; return 1; }); \
  return 0

int osp_mj_step(const mjModel* m, mjData* d, char* error, int error_size) { ENGINE_CALL(mj_step(m, d)); }
int osp_mj_step1(const mjModel* m, mjData* d, char* error, int error_size) { ENGINE_CALL(mj_step1(m, d)); }
int osp_mj_step2(const mjModel* m, mjData* d, char* error, int error_size) { ENGINE_CALL(mj_step2(m, d)); }
int osp_mj_forward(const mjModel* m, mjData* d, char* error, int error_size) { ENGINE_CALL(mj_forward(m, d)); }
int osp_mj_kinematics_collision(const mjModel* m, mjData* d, char* error, int error_size) {
  ENGINE_CALL({ mj_kinematics(m, d); mj_collision(m, d); });
}

int osp_mjr_make_scene_and_context(const mjModel* m, mjvScene* scn, int maxgeom, mjrContext* con,
                                   char* error, int error_size) {
  GUARDED(
      {
        mjv_makeScene(m, scn, maxgeom);
        mjr_makeContext(m, con, mjFONTSCALE_100);
        mjr_setBuffer(mjFB_OFFSCREEN, con);
      },
      return 1);
  if (con->currentBuffer != mjFB_OFFSCREEN) {
    copy_message(error, error_size, "the offscreen framebuffer is not available in this GL context");
    return 1;
  }
  return 0;
}

int osp_mjr_render_read(const mjModel* m, mjData* d, const mjvOption* opt, mjvCamera* cam,
                        mjvScene* scn, mjrContext* con, mjrRect viewport, int update_scene,
                        unsigned char* rgb, float* depth, char* error, int error_size) {
  GUARDED(
      {
        if (update_scene) mjv_updateScene(m, d, opt, NULL, cam, mjCAT_ALL, scn);
        mjr_render(viewport, scn, con);
        mjr_readPixels(rgb, depth, viewport, con);
      },
      return 1);
  return 0;
}
