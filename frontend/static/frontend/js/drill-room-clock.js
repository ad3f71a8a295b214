// The simulated clock as the room sees it: anchored at the last known sim_ms, it advances by the wall
// time elapsed × speed while the drill runs and stands still otherwise (PROTOCOL.md: Time).
export class SimClock {
  constructor() {
    this.set({ simMs: 0, running: false, speed: 1 });
  }

  set({ simMs, running, speed }) {
    this.baseMs = simMs;
    this.wallMs = performance.now();
    this.running = running;
    this.speed = speed;
  }

  now() {
    if (!this.running) return this.baseMs;
    return this.baseMs + (performance.now() - this.wallMs) * this.speed;
  }

  // A speed change bends the clock from now on; the time already simulated keeps the old speed.
  setSpeed(speed, simMs) {
    this.set({ simMs: simMs ?? this.now(), running: this.running, speed });
  }

  // A pause or the end carries the exact sim_ms at which the server stopped the clock.
  freeze(simMs) {
    this.set({ simMs, running: false, speed: this.speed });
  }

  run(simMs) {
    this.set({ simMs, running: true, speed: this.speed });
  }
}
