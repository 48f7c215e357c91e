/** The document a new composer starts with: a small, valid heartbeat of the demo device. */
export function initialDocumentText(nowSeconds: number = Math.floor(Date.now() / 1000)): string {
  const doc = {
    AgentVersion: '1.20230901',
    DeviceName: 'demo-device-01',
    DeviceFleetName: 'demo-fleet',
    AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-usage', Value: 12.5, Timestamp: nowSeconds }],
    Models: [
      {
        ModelName: 'resnet50-edge',
        ModelVersion: '1.0',
        LatestSampleTime: nowSeconds - 60,
        LatestInference: nowSeconds - 5,
        ModelMetrics: [{ Dimension: 'model', MetricName: 'inference-latency', Value: 18.2, Timestamp: nowSeconds }],
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
