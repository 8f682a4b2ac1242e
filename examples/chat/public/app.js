// The chat page: join a room, see its messages live. `?name=…&room=…` fills the form and
// joins at once (handy for links and for the browser test).
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  let room = null;

  // WebSocket only: with several workers behind one port, the requests of HTTP long-polling
  // could reach different workers, which Socket.IO cannot follow (no sticky sessions).
  const socket = io({ transports: ['websocket'] });

  function show(html, className) {
    const item = document.createElement('li');
    if (className) item.className = className;
    item.innerHTML = html;
    $('messages').appendChild(item);
    $('messages').scrollTop = $('messages').scrollHeight;
  }
  const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function join(name, wanted) {
    if (room && room !== wanted) socket.emit('leave', { room });
    socket.emit('join', { room: wanted, name }, (answer) => {
      if (!answer.ok) return show(escape(answer.error), 'system');
      if (room !== wanted) show(`you joined #${escape(wanted)}`, 'system');
      room = wanted;
      document.body.dataset.room = room; // for tests: joined
      $('text').disabled = $('send').querySelector('button').disabled = false;
      $('text').focus();
    });
  }

  socket.on('welcome', (w) => {
    $('status').textContent =
      `connected to ${w.server}, worker ${w.instance} (pid ${w.pid})`;
    document.body.dataset.pid = w.pid;
    // After a reconnection (a worker restarted or was reloaded) join the room again.
    if (room) join($('name').value, room);
  });
  socket.on('disconnect', () => { $('status').textContent = 'reconnecting…'; });
  socket.on('message', (m) => {
    show(`<span class="from">${escape(m.from)}</span>${escape(m.text)}` +
      `<span class="via">via ${escape(m.via.server)} #${m.via.instance}</span>`);
  });

  $('join').addEventListener('submit', (event) => {
    event.preventDefault();
    join($('name').value, $('room').value);
  });
  $('send').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('text').value.trim();
    if (!text || !room) return;
    socket.emit('message', { room, text });
    $('text').value = '';
  });

  if (params.get('name')) $('name').value = params.get('name');
  if (params.get('room')) $('room').value = params.get('room');
  if (params.get('name') && params.get('room')) join(params.get('name'), params.get('room'));
}());
