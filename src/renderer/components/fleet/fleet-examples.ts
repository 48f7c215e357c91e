/** The fleet view's shipped examples (docs/fleet.md#the-fleet-view), the rollout's with its deployment plan. */
import demoScenario from '../../../../examples/fleet-demo.yaml?raw';
import rolloutScenario from '../../../../examples/fleet-rollout.yaml?raw';
import rolloutPlan from '../../../../examples/fleet-rollout-plan.yaml?raw';
import loadScenario from '../../../../examples/fleet-load.yaml?raw';

export interface FleetExample {
  id: string;
  label: string;
  text: string;
  /** A deployment plan (YAML) to start once the run's devices are up. */
  plan?: string;
}

export const EXAMPLES: readonly FleetExample[] = [
  { id: 'demo', label: 'Small demo fleet (24 devices)', text: demoScenario },
  { id: 'rollout', label: 'A rollout that fails and rolls back (40 devices)', text: rolloutScenario, plan: rolloutPlan },
  { id: 'load', label: 'Load: 5,000 devices at 1 heartbeat/s', text: loadScenario },
];
