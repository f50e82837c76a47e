/** A set that keeps only its `limit` most recently added members (a Set keeps insertion order). */
export class RecentSet {
  private readonly members = new Set<string>()

  constructor(private readonly limit: number) {}

  add(member: string): void {
    this.members.delete(member)
    this.members.add(member)
    if (this.members.size > this.limit) this.members.delete(this.members.values().next().value!)
  }

  has(member: string): boolean {
    return this.members.has(member)
  }
}
