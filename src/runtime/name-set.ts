/** The faults or variants one runtime runs with; `has` is the cheap check made at each point where behaviour differs. */
export class NameSet<N extends string> {
  private readonly names: ReadonlySet<string>;

  constructor(kind: 'fault' | 'variant', defs: readonly { readonly name: string }[], names: readonly string[]) {
    const valid = new Set<string>(defs.map((d) => d.name));
    const unknown = names.filter((n) => !valid.has(n));
    if (unknown.length > 0) {
      throw new Error(`unknown ${kind} ${unknown.join(', ')}; valid ${kind}s: ${[...valid].join(', ')}`);
    }
    this.names = new Set(names);
  }

  has(name: N): boolean {
    return this.names.has(name);
  }

  get list(): readonly string[] {
    return [...this.names];
  }
}
