build/cc-native/lenet train --data data/mnist --arch paper-relu --passes 10 --seed 2  --model build/ablation/relu-seed2.model --log figures/data/ablation/relu-seed2.csv
