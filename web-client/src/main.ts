import '@fontsource/courier-prime/400.css';
import '@fontsource/courier-prime/700.css';
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import '@fontsource/inter/600.css';
import './style.css';
import { renderLanding } from './landing';
import { renderRoom } from './room/room';

const root = document.querySelector<HTMLElement>('#app')!;
const room = /^\/rooms\/([^/]+)\/?$/.exec(location.pathname);
if (room) {
  renderRoom(root, decodeURIComponent(room[1]));
} else if (location.pathname === '/join') {
  const code = /(?:^#|&)code=([^&]+)/.exec(location.hash);
  renderLanding(root, code ? decodeURIComponent(code[1]) : '');
} else {
  renderLanding(root, null);
}
