/** Something that happened to an aggregate, raised by an entity and published after it is saved. */
export interface DomainEvent {
  name: string;
  aggregateId: string | number | null;
  occurredAt: Date;
  payload: Readonly<Record<string, unknown>>;
}
