import './style.css';
import { describeHealth, describeUnreachable, type HealthView } from './health';

function show(view: HealthView): void {
  const element = document.querySelector<HTMLElement>('#health');
  if (!element) return;
  element.dataset.state = view.state;
  const text = element.querySelector('.health-text');
  if (text) text.textContent = view.text;
}

async function checkHealth(): Promise<HealthView> {
  try {
    const response = await fetch('/api/health', { headers: { Accept: 'application/json' } });
    if (!response.ok) return describeUnreachable(`HTTP ${response.status}`);
    return describeHealth(await response.json());
  } catch (error) {
    return describeUnreachable(error instanceof Error ? error.message : String(error));
  }
}

void checkHealth().then(show);
