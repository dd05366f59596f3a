/*
 * Native MuJoCo speed anchor for bench/quadruped.ts: steps a model given as an XML file with the same
 * pattern as the TypeScript bench (4 mj_step + mj_kinematics per environment step, torques from a fixed
 * sine pattern) and prints microseconds per environment step and the final torso x (a checksum).
 * Usage: quadruped_anchor MODEL.xml ENV_STEPS
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mujoco/mujoco.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s MODEL.xml ENV_STEPS\n", argv[0]);
    return 2;
  }
  char err[1000] = "";
  mjModel *m = mj_loadXML(argv[1], NULL, err, sizeof err);
  if (!m) {
    fprintf(stderr, "load: %s\n", err);
    return 1;
  }
  mjData *d = mj_makeData(m);
  int steps = atoi(argv[2]);
  for (int k = 0; k < 8; k++) d->qpos[7 + k] = 0.05 * k - 0.2;
  mj_kinematics(m, d);
  double t0 = now_us();
  for (int t = 0; t < steps; t++) {
    for (int k = 0; k < 8; k++) d->ctrl[k] = sin(t * 0.1 * (1 + k * 0.37) + k * 1.3);
    for (int s = 0; s < 4; s++) mj_step(m, d);
    mj_kinematics(m, d);
  }
  double us = (now_us() - t0) / steps;
  printf("us_per_step %.3f x %.6f\n", us, d->qpos[0]);
  mj_deleteData(d);
  mj_deleteModel(m);
  return 0;
}
