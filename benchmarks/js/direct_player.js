// The baseline the streamed viewer is measured against: fetch every event as one JSON array,
// then hand them all to rrweb-player at once.
(async () => {
  const Player = window.rrwebPlayer.default || window.rrwebPlayer;
  const target = document.getElementById('player');
  const response = await fetch(target.dataset.eventsUrl, { credentials: 'same-origin' });
  const events = await response.json();
  const width = Math.max(320, target.clientWidth || 1024);
  new Player({
    target,
    props: { events, width, height: Math.round((width * 9) / 16), autoPlay: true, skipInactive: true },
  });
})();
