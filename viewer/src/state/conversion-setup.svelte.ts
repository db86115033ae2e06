// A site's goals and funnels: listed, created, edited and deleted; reloaded while a goal's recomputation runs.
import type { ApiClient } from '../lib/api-client';
import type { Funnel, FunnelInput, Goal, GoalInput } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { LoadStatus } from './load-status';

/** How often goals are reloaded while a recomputation job runs, to show its progress. */
export const JOB_POLL_MS = 1500;

export class ConversionSetup {
  readonly #client: ApiClient;
  readonly #siteId: string;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #goals = $state.raw<Goal[]>([]);
  #funnels = $state.raw<Funnel[]>([]);
  #computing = $derived(this.#goals.some((goal) => goal.job && (goal.job.state === 'pending' || goal.job.state === 'running')));

  constructor(client: ApiClient, siteId: string) {
    this.#client = client;
    this.#siteId = siteId;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get goals() {
    return this.#goals;
  }
  get funnels() {
    return this.#funnels;
  }
  /** A goal's completions are being recomputed over stored sessions. */
  get computing() {
    return this.#computing;
  }

  async load(): Promise<void> {
    if (this.#status !== 'ready') this.#status = 'loading';
    try {
      const [goals, funnels] = await Promise.all([this.#client.listGoals(this.#siteId), this.#client.listFunnels(this.#siteId)]);
      this.#goals = goals.goals;
      this.#funnels = funnels.funnels;
      this.#error = null;
      this.#status = 'ready';
    } catch (error) {
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  /** Saves a goal (new when `id` is null); server refusals propagate as ApiClientError for the form to show. */
  async saveGoal(id: string | null, input: GoalInput): Promise<void> {
    await (id === null ? this.#client.createGoal(this.#siteId, input) : this.#client.updateGoal(id, input));
    await this.load();
  }

  async deleteGoal(id: string): Promise<void> {
    await this.#client.deleteGoal(id);
    await this.load();
  }

  async saveFunnel(id: string | null, input: FunnelInput): Promise<void> {
    await (id === null ? this.#client.createFunnel(this.#siteId, input) : this.#client.updateFunnel(id, input));
    await this.load();
  }

  async deleteFunnel(id: string): Promise<void> {
    await this.#client.deleteFunnel(id);
    await this.load();
  }
}
