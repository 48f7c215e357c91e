/**
 * Help for filling in each member, written for the person composing a request. The model's
 * documentation was written for the service's outputs ("Returns the name of the metric"), which reads
 * wrong next to an input; these say what to type. A test checks that every member of every operation
 * has an entry, so a new member cannot fall back to output wording.
 */
export const INPUT_HELP: Readonly<Record<string, string>> = {
  AgentVersion: 'The version of the Edge Manager agent sending the heartbeat.',
  DeviceName: 'The unique name of the device, as it was registered.',
  DeviceFleetName: 'The device fleet the device belongs to.',
  AgentMetrics: 'Operating metrics of the agent itself (for internal use by Edge Manager).',
  Models: 'The models deployed on the device, with their latest activity and metrics.',
  ModelName: 'The name of the model.',
  ModelVersion: 'The version of the model.',
  LatestSampleTime: 'When the model last took a data sample.',
  LatestInference: 'When the model last made an inference.',
  ModelMetrics: 'Metrics the model reports.',
  Dimension: 'The dimension the metric is published under.',
  MetricName: 'The name of the metric.',
  Value: 'The value of the metric.',
  Timestamp: 'When the metric was measured.',
  DeploymentResult: 'The outcome of a deployment to the device, when the heartbeat reports one.',
  DeploymentName: 'The name and unique ID of the deployment.',
  DeploymentStatus: 'The status (or error code) of the deployment.',
  DeploymentStatusMessage: 'A message that explains the deployment status, such as the error.',
  DeploymentStartTime: 'When the agent started the deployment.',
  DeploymentEndTime: 'When the deployment ended and the agent had its results.',
  DeploymentModels: 'The models of the deployment and their states.',
  ModelHandle: 'The unique handle of the model on the device.',
  DesiredState: 'The state the deployment asked for: DEPLOY or UNDEPLOY.',
  State: 'The state the model is in: DEPLOY or UNDEPLOY.',
  Status: 'Whether deploying the model succeeded: SUCCESS or FAIL.',
  StatusReason: 'Why the deployment of the model ended in its status, such as the error message.',
  RollbackFailureReason: 'Why a rollback of the model failed, if one did.',
};

/** Input help for a member: the table's, else the model's documentation unless it describes an output. */
export function inputHelp(member: string, modelDescription: string | undefined): string | undefined {
  const own = Object.prototype.hasOwnProperty.call(INPUT_HELP, member) ? INPUT_HELP[member] : undefined;
  if (own) return own;
  return modelDescription && !/^Returns\b/.test(modelDescription) ? modelDescription : undefined;
}
